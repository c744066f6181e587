package io.guardstream.gateway.exchange;

public final class ExchangeAssemblerTestAccess {

  private ExchangeAssemblerTestAccess() {
  }

  public static String sha256(byte[] bytes) {
    return ExchangeAssembler.sha256(bytes);
  }
}
