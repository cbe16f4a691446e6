package io.oqto.runner.server.internal;

import java.io.File;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * sd_notify(3) without libsystemd: one datagram to {@code $NOTIFY_SOCKET}. The JDK has no Unix datagram
 * sockets, which is why junixsocket is here. An address starting with {@code @} is in the abstract namespace.
 */
final class SystemdNotifier {

    private final @Nullable String notifySocket;

    SystemdNotifier(@Nullable String notifySocket) {
        this.notifySocket = notifySocket;
    }

    void send(String state) throws IOException {
        String notifySocket = this.notifySocket;
        if (notifySocket == null || notifySocket.isEmpty()) {
            return;
        }
        SocketAddress addr = notifySocket.startsWith("@")
                ? AFUNIXSocketAddress.inAbstractNamespace(notifySocket.substring(1))
                : AFUNIXSocketAddress.of(new File(notifySocket));
        byte[] msg = state.getBytes(StandardCharsets.UTF_8);
        // The channel API: DatagramPacket insists on resolved inet addresses, which a Unix address is not.
        try (AFUNIXDatagramChannel channel = AFUNIXDatagramChannel.open()) {
            channel.send(ByteBuffer.wrap(msg), addr);
        }
    }
}
