package io.guardstream.streams.admin;

import io.vertx.core.json.JsonObject;

/** Per-tenant stats held in state stores partitioned by tenant across instances. */
public interface TenantStats {

    /** Where a tenant's stores live: here, on another instance, or nowhere yet (rebalancing). */
    sealed interface Owner permits Local, Remote, Unavailable {
    }

    record Local() implements Owner {
    }

    record Remote(String host, int port) implements Owner {
    }

    record Unavailable() implements Owner {
    }

    Owner owner(String tenant);

    /** Blocking read of this instance's stores; call off the event loop. */
    JsonObject localStats(String tenant);
}
