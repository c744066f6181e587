package io.guardstream.gateway.auth;

/** Who is calling: the tenant, the non-secret id of the key used, and the tenant's policy name. */
public record Principal(String tenantId, String keyId, String policy) {

  public static final Principal ANONYMOUS = new Principal("default", "anonymous", "default");
}
