package io.oqto.runner.server.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * The listening socket of a socket-activated runner, taken over from whoever holds it while no runner runs, and the
 * connections that started it:
 *
 * <ul>
 *   <li>systemd (a user {@code oqto-runner.socket} unit): {@code LISTEN_FDS=1} with {@code LISTEN_PID} this process,
 *       the socket is descriptor 3 (sd_listen_fds(3));
 *   <li>the root helper ({@code [usermgr] service_manager = "supervise"}): {@code OQTO_RUNNER_HANDOVER} names a socket
 *       in the user's runtime directory on which the helper, having checked that the caller is this very process,
 *       passes the listening socket and the connection that started the runner (SCM_RIGHTS). A Java parent cannot
 *       leave a descriptor open across exec, hence the hand-over instead of systemd's descriptor 3.
 * </ul>
 *
 * The socket file, its mode and the control plane's ACL entry are the holder's: a runner that took its socket over
 * neither makes nor removes the file.
 */
record InheritedSocket(
        AFUNIXServerSocket server,
        List<AFUNIXSocket> waiting,
        String from,
        @Nullable AFUNIXSocket handover) {

    static final String HANDOVER_ENV = "OQTO_RUNNER_HANDOVER";

    /** The socket this runner was started with, or null when it was not socket-activated (it binds its own). */
    static @Nullable InheritedSocket take(Map<String, String> env, long pid) throws IOException {
        String handover = env.get(HANDOVER_ENV);
        if (handover != null && !handover.isEmpty()) {
            return fromHelper(handover);
        }
        if ("1".equals(env.get("LISTEN_FDS")) && String.valueOf(pid).equals(env.get("LISTEN_PID"))) {
            return new InheritedSocket(
                    FileDescriptorCast.unsafeUsing(3).as(AFUNIXServerSocket.class), List.of(), "systemd", null);
        }
        if (env.containsKey("LISTEN_FDS") && String.valueOf(pid).equals(env.get("LISTEN_PID"))) {
            throw new IOException("systemd passed " + env.get("LISTEN_FDS")
                    + " sockets; the runner takes exactly one (oqto-runner.socket has one ListenStream=)");
        }
        return null;
    }

    /**
     * The hand-over connection stays open for the runner's life: closing it closes the descriptors received on it
     * (junixsocket's ownership), the listening socket among them.
     */
    private static InheritedSocket fromHelper(String path) throws IOException {
        AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(new java.io.File(path)));
        try {
            AFUNIXSocketCredentials helper = s.getPeerCredentials();
            if (helper.getUid() != 0) {
                throw new IOException(
                        "the hand-over socket " + path + " is not the root helper's (uid " + helper.getUid() + ")");
            }
            s.ensureAncillaryReceiveBufferSize(256);
            InputStream in = s.getInputStream();
            if (in.read() < 0) {
                throw new IOException("the helper closed the hand-over socket " + path + " without a socket");
            }
            FileDescriptor[] fds = s.getReceivedFileDescriptors();
            if (fds == null || fds.length == 0) {
                throw new IOException("the helper sent no socket over " + path);
            }
            AFUNIXServerSocket server = FileDescriptorCast.using(fds[0]).as(AFUNIXServerSocket.class);
            List<AFUNIXSocket> waiting = new ArrayList<>();
            for (int i = 1; i < fds.length; i++) {
                waiting.add(FileDescriptorCast.using(fds[i]).as(AFUNIXSocket.class));
            }
            return new InheritedSocket(server, List.copyOf(waiting), "the root helper", s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }
}
