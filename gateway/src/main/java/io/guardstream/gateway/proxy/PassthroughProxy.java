package io.guardstream.gateway.proxy;

import io.guardstream.gateway.errors.ApiError;
import io.guardstream.gateway.errors.ErrorMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * {@code GET /v1/models} and the {@code /v1/*} paths listed in config: authenticated and rate-limited like chat
 * completions, then streamed both ways to the default upstream without parsing, validation or an exchange record.
 */
final class PassthroughProxy {

  private final UpstreamRouter router;
  private final Admission admission;
  private final ReadDeadlines deadlines;

  PassthroughProxy(UpstreamRouter router, Admission admission, ReadDeadlines deadlines) {
    this.router = router;
    this.admission = admission;
    this.deadlines = deadlines;
  }

  void handle(HttpServerRequest req) {
    if (admission.admit(req) == null) {
      return;
    }
    Upstream upstream = router.defaultUpstream();
    if (upstream == null) {
      ProxyHandler.fail(req, ApiError.badGateway("No upstream is configured"));
      return;
    }
    HttpServerResponse resp = req.response();
    req.pause();
    ReadDeadlines.Watch[] deadline = {null};
    upstream.request(req.method(), req.uri())
        .compose(creq -> {
          deadline[0] = upstream.watchReads(deadlines, creq);
          Headers.copyToUpstream(req.headers(), creq.headers());
          if (upstream.authorization() != null) {
            creq.putHeader(HttpHeaders.AUTHORIZATION, upstream.authorization());
          }
          String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
          if (length != null) {
            creq.putHeader(HttpHeaders.CONTENT_LENGTH, length);
          } else {
            creq.setChunked(true);
          }
          resp.closeHandler(v -> {
            if (!resp.ended()) {
              creq.reset();
            }
          });
          return creq.send(req);
        })
        .onSuccess(cresp -> {
          resp.setStatusCode(cresp.statusCode());
          Headers.copyToClient(cresp.headers(), resp.headers(), true);
          if (!resp.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            resp.setChunked(true);
          }
          new RelayStream(cresp, null, null, null, null, () -> false, () -> { }, deadline[0])
              .pipe().endOnFailure(false).to(resp).onFailure(err -> {
                deadline[0].cancel();
                if (!resp.ended() && !resp.closed()) {
                  resp.reset();
                }
              });
        })
        .onFailure(err -> {
          if (deadline[0] != null) {
            deadline[0].cancel();
          }
          ProxyHandler.fail(req, ErrorMapper.toApiError(err));
        });
  }
}
