package io.devk8s;

import io.devk8s.adapter.kubernetes.PodExec;
import io.devk8s.adapter.terminal.RawTerminal;
import io.devk8s.service.ShellService;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@link RawTerminal} as the local terminal of {@code devk8s shell}; a class of its own so that JLine loads only
 * when an interactive session opens.
 */
final class ShellTerminals {
    private ShellTerminals() {
    }

    /** Opens the process's terminal in raw mode; the streams are the process's own, so they are not used. */
    static ShellService.LocalTerminal open(ShellService.Streams streams) {
        RawTerminal raw = RawTerminal.open();
        return new ShellService.LocalTerminal() {
            @Override
            public InputStream input() {
                return raw.input();
            }

            @Override
            public OutputStream output() {
                return raw.output();
            }

            @Override
            public int columns() {
                return raw.columns();
            }

            @Override
            public int rows() {
                return raw.rows();
            }

            @Override
            public void onResize(PodExec.Session listener) {
                raw.onResize(listener::resize);
            }

            @Override
            public void close() {
                raw.close();
            }
        };
    }
}
