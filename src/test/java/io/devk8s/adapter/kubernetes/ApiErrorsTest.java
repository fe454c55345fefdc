package io.devk8s.adapter.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ApiErrorsTest {

    @Test
    void fabric8sGenericWrapperGivesWayToTheCauseThatSaysWhatHappened() {
        KubernetesClientException e = new KubernetesClientException("An error has occurred.",
                new IllegalStateException("wrapper", new IOException("stream was reset: PROTOCOL_ERROR")));

        assertEquals("stream was reset: PROTOCOL_ERROR", ApiErrors.statusMessage(e));
    }

    @Test
    void theServersStatusMessageWinsOverEverythingElse() {
        KubernetesClientException e = new KubernetesClientException(
                new StatusBuilder().withCode(409).withMessage("the object has been modified").build());

        assertEquals("the object has been modified", ApiErrors.statusMessage(e));
    }

    @Test
    void aGenericMessageWithoutACauseIsKeptAsItIs() {
        assertEquals("An error has occurred.", ApiErrors.statusMessage(new KubernetesClientException("An error has occurred.")));
    }

    @Test
    void multiLineCausesBecomeOneLine() {
        KubernetesClientException e = new KubernetesClientException("An error has occurred.",
                new IOException("first line\n  second line"));

        assertEquals("first line; second line", ApiErrors.statusMessage(e));
    }
}
