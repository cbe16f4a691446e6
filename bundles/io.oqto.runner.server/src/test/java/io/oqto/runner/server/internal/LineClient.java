package io.oqto.runner.server.internal;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** A raw line client, to send exactly the bytes a test wants. */
final class LineClient implements Closeable {
    private final AFUNIXSocket socket;
    private final OutputStream out;
    private final BufferedReader in;

    LineClient(Path path) throws IOException {
        socket = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path));
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    LineClient send(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    String read() throws IOException {
        return in.readLine();
    }

    String call(String line) throws IOException {
        return send(line).read();
    }

    LineClient hello() throws IOException {
        String r = call("{\"id\":\"h\",\"type\":\"hello\",\"protocol\":\"1.0\"}");
        if (!r.contains("\"type\":\"welcome\"")) {
            throw new IOException("hello failed: " + r);
        }
        return this;
    }

    /** Lets descriptors sent with later replies be received (SCM_RIGHTS needs room set aside). */
    LineClient receivingDescriptors() {
        socket.setAncillaryReceiveBufferSize(1024);
        return this;
    }

    /** The descriptors that came with what was read so far (each only once). */
    java.io.FileDescriptor[] receivedDescriptors() throws IOException {
        java.io.FileDescriptor[] fds = socket.getReceivedFileDescriptors();
        return fds == null ? new java.io.FileDescriptor[0] : fds;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
