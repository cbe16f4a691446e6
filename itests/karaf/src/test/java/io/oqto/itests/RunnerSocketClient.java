package io.oqto.itests;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A plain JDK Unix-socket client speaking raw protocol lines, independent of the code under test. */
final class RunnerSocketClient implements Closeable {
    private final SocketChannel channel;
    private final OutputStream out;
    private final BufferedReader in;

    RunnerSocketClient(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        out = Channels.newOutputStream(channel);
        in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
    }

    String call(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return in.readLine();
    }

    /** The next line the runner sends (a reply or an event); fails after 30 s rather than hang the test. */
    String next() throws IOException {
        ExecutorService one = Executors.newSingleThreadExecutor();
        try {
            return one.submit(in::readLine).get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IOException("no line from the runner within 30 s");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            one.shutdownNow();
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
