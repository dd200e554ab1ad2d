package dev.sluice.blackbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** A black-box test class using the shared Sluice process, with a fresh recording sink for every test. */
@ExtendWith(SharedSluice.class)
abstract class AgainstSharedSluice {

    protected final Api api;
    protected Sink sink;

    AgainstSharedSluice(SluiceProcess sluice) {
        this.api = sluice.api();
    }

    @BeforeEach
    void openSink() throws Exception {
        sink = new Sink();
    }

    @AfterEach
    void closeSink() {
        sink.close();
    }
}
