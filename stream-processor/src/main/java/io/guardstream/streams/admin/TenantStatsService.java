package io.guardstream.streams.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.guardstream.streams.audit.AuditTopology;
import io.guardstream.streams.audit.TenantTotals;
import io.guardstream.streams.audit.TenantWindowStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/** Reads a tenant's stats from the audit app's state stores (interactive queries) and says which instance owns them. */
public final class TenantStatsService implements TenantStats {

    private final KafkaStreams streams;
    private final HostInfo self;
    private final Duration history;
    private final Clock clock;

    public TenantStatsService(KafkaStreams streams, HostInfo self, Duration history, Clock clock) {
        this.streams = streams;
        this.self = self;
        this.history = history;
        this.clock = clock;
    }

    @Override
    public Owner owner(String tenant) {
        KeyQueryMetadata metadata = streams.queryMetadataForKey(AuditTopology.TENANT_TOTALS_STORE, tenant, Serdes.String().serializer());
        if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE || metadata.activeHost() == null) {
            return new Unavailable();
        }
        HostInfo host = metadata.activeHost();
        if (host.equals(self)) {
            return new Local();
        }
        return new Remote(host.host(), host.port());
    }

    @Override
    public JsonObject localStats(String tenant) {
        ReadOnlyKeyValueStore<String, TenantTotals> totalsStore = streams.store(
                StoreQueryParameters.fromNameAndType(AuditTopology.TENANT_TOTALS_STORE, QueryableStoreTypes.<String, TenantTotals>keyValueStore()));
        ReadOnlyWindowStore<String, TenantWindowStats> windowStore = streams.store(
                StoreQueryParameters.fromNameAndType(AuditTopology.TENANT_WINDOW_STORE, QueryableStoreTypes.<String, TenantWindowStats>windowStore()));
        TenantTotals totals = totalsStore.get(tenant);
        JsonObject out = new JsonObject().put("tenant", tenant).put("instance", self.host() + ":" + self.port());
        if (totals == null) {
            totals = TenantTotals.empty();
        }
        out.put("totals", new JsonObject()
                .put("exchanges", totals.total())
                .put("unsafe", totals.unsafe())
                .put("blocked", totals.blocked())
                .put("undecided", totals.undecided())
                .put("baselineUnsafeRate", totals.baselineRate())
                .put("firstSeen", totals.firstSeen() == 0 ? null : Instant.ofEpochMilli(totals.firstSeen()).toString())
                .put("lastSeen", totals.lastSeen() == 0 ? null : Instant.ofEpochMilli(totals.lastSeen()).toString()));
        JsonArray windows = new JsonArray();
        Instant now = clock.instant();
        try (WindowStoreIterator<TenantWindowStats> it = windowStore.fetch(tenant, now.minus(history), now)) {
            while (it.hasNext()) {
                KeyValue<Long, TenantWindowStats> w = it.next();
                TenantWindowStats s = w.value;
                windows.add(new JsonObject()
                        .put("windowStart", Instant.ofEpochMilli(w.key).toString())
                        .put("exchanges", s.total())
                        .put("unsafe", s.unsafe())
                        .put("requestHarmful", s.requestHarmful())
                        .put("responseHarmful", s.responseHarmful())
                        .put("blocked", s.blocked())
                        .put("undecided", s.undecided())
                        .put("linked", s.linked())
                        .put("unsafeRate", s.unsafeRate())
                        .put("blockRate", s.blockRate())
                        .put("categories", new JsonObject(new java.util.LinkedHashMap<>(s.categories()))));
            }
        }
        out.put("windows", windows);
        return out;
    }
}
