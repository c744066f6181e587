package io.guardstream.it;

/** Lets benchmarks in other packages run the tests' {@link FakeVlm}. */
public final class FakeVlmAccess implements AutoCloseable {

    private final FakeVlm vlm;

    public FakeVlmAccess(long chunkDelayMs, String harmlessAnswer) throws Exception {
        this.vlm = new FakeVlm(chunkDelayMs, harmlessAnswer);
    }

    public String baseUrl() {
        return vlm.baseUrl();
    }

    @Override
    public void close() throws Exception {
        vlm.close();
    }
}
