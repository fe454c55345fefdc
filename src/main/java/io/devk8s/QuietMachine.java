package io.devk8s;

import java.lang.management.ManagementFactory;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Whether the other processes of this machine leave its CPUs mostly idle: the share of all CPUs that the machine
 * used, less this process's share, over the time since the last look, stays under a limit for a while. The
 * background process's warm-up asks before each of its commands, so it never competes with a build, a test run or
 * the user's own {@code go build} for the CPUs (on a two-core laptop that would slow both).
 */
final class QuietMachine {
    /** Other processes may use up to this share of all CPUs (a quarter: half a core of two). */
    static final double LIMIT = 0.25;
    /** How long the machine must have been quiet. */
    static final long QUIET_NANOS = 300_000_000L;

    private final DoubleSupplier systemLoad;
    private final DoubleSupplier processLoad;
    private final LongSupplier clock;
    /** Figures read over less time than this are not read again. */
    static final long SAMPLE_NANOS = 100_000_000L;

    private long quietSince = -1;
    private long lastSample = -1;

    /**
     * @param systemLoad  the share (0..1) of all CPUs the whole machine used since the last call, negative when unknown
     * @param processLoad the share this process used over the same time
     */
    QuietMachine(DoubleSupplier systemLoad, DoubleSupplier processLoad, LongSupplier clock) {
        this.systemLoad = systemLoad;
        this.processLoad = processLoad;
        this.clock = clock;
    }

    /** The machine's own figures (the JDK's, from /proc on Linux); unknown figures count as quiet. */
    static QuietMachine ofThisMachine() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return new QuietMachine(os::getCpuLoad, os::getProcessCpuLoad, System::nanoTime);
        }
        return new QuietMachine(() -> -1, () -> -1, System::nanoTime);
    }

    /**
     * True once the others have stayed under {@link #LIMIT} for {@link #QUIET_NANOS}. The figures are read again
     * only when {@link #SAMPLE_NANOS} have passed since the last reading (shorter spans are a few clock ticks).
     */
    synchronized boolean quiet() {
        long now = clock.getAsLong();
        if (lastSample < 0 || now - lastSample >= SAMPLE_NANOS) {
            double system = systemLoad.getAsDouble();
            double own = processLoad.getAsDouble();
            lastSample = now;
            if (system >= 0 && system - Math.max(0, own) >= LIMIT) {
                quietSince = -1;
            } else if (quietSince < 0) {
                quietSince = now;
            }
        }
        return quietSince >= 0 && now - quietSince >= QUIET_NANOS;
    }
}
