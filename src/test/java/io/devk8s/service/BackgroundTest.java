package io.devk8s.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BackgroundTest {

    @Test
    void should_end_the_work_a_command_started_before_the_command_returns() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicReference<Thread> worker = new AtomicReference<>();
        Background.start("test-ahead", () -> {
            worker.set(Thread.currentThread());
            started.countDown();
            try {
                Thread.sleep(60_000); // e.g. a minikube call whose answer the failed command no longer needs
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return null;
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));

        Background.endStartedBy(Thread.currentThread(), Duration.ofSeconds(10));

        assertTrue(interrupted.get());
        assertFalse(worker.get().isAlive(), "ended before endStartedBy returned");
    }

    @Test
    void should_leave_the_work_of_other_commands_alone() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread otherCommand = new Thread(() -> Background.start("test-other", () -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return null;
        }));
        otherCommand.start();
        otherCommand.join();
        assertTrue(started.await(10, TimeUnit.SECONDS));

        Background.endStartedBy(Thread.currentThread(), Duration.ofSeconds(1));

        assertFalse(interrupted.get());
        release.countDown();
    }
}
