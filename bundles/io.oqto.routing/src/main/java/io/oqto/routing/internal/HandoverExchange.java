package io.oqto.routing.internal;

import io.oqto.api.runner.RunnerUnavailableException;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.FrameCodec;
import io.oqto.runner.protocol.FrameReader;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * One request whose reply hands over an open connection (SCM_RIGHTS), on a runner connection of its own: connect,
 * check the peer, hello, the request, the reply with its descriptor, close. Pooled connections are not used: their
 * reader thread would receive the descriptor, and a pooled connection outlives the exchange.
 */
final class HandoverExchange {

    /** The reply and the connection that came with it. */
    record Result(Frame reply, Socket connection) {}

    private HandoverExchange() {}

    /** The reply with its connection; an error reply is its RunnerErrorException, nothing handed over. */
    static Result exchange(Path path, int expectedUid, int timeoutMs, String type, Map<String, Object> fields) {
        try (AFUNIXSocket s = AFUNIXSocket.newInstance()) {
            s.setAncillaryReceiveBufferSize(1024);
            FrameReader reader = RunnerConnection.connect(s, path, expectedUid, timeoutMs);
            OutputStream o = s.getOutputStream();
            o.write(FrameCodec.encode(new Frame("h1", type, fields)));
            o.flush();
            Frame reply = RunnerConnection.decode(reader.next());
            FileDescriptor[] fds = s.getReceivedFileDescriptors();
            if (reply.isError()) {
                closeAll(fds);
                throw RunnerConnection.errorOf(reply);
            }
            if (fds == null || fds.length != 1) {
                closeAll(fds);
                throw new RunnerUnavailableException(
                        "runner at " + path + " answered \"" + type + "\" without handing over a connection");
            }
            // A duplicate: the descriptor as received belongs to this connection, which closes it with itself.
            return new Result(reply, FileDescriptorCast.duplicating(fds[0]).as(AFUNIXSocket.class));
        } catch (SocketTimeoutException e) {
            throw new RunnerUnavailableException(
                    "runner at " + path + " did not answer \"" + type + "\" within " + timeoutMs + " ms", e);
        } catch (IOException e) {
            throw new RunnerUnavailableException("cannot reach the runner at " + path + ": " + e.getMessage(), e);
        }
    }

    private static void closeAll(FileDescriptor @Nullable [] fds) {
        if (fds == null) {
            return;
        }
        for (FileDescriptor fd : fds) {
            try {
                FileDescriptorCast.using(fd).as(AFUNIXSocket.class).close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}
