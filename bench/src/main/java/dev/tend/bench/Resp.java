package dev.tend.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking Redis (RESP2) client: enough for GET, SET, PUBLISH and SUBSCRIBE over loopback TCP.
 * Written here rather than pulling in Jedis so the baseline measures the protocol round trip, not a
 * client library's pooling and allocation habits.
 */
final class Resp implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    Resp(int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    }

    /** Sends one command; arguments are strings or byte arrays. */
    void send(Object... args) throws IOException {
        out.write('*');
        writeNumber(args.length);
        for (Object arg : args) {
            byte[] bytes = arg instanceof byte[] ? (byte[]) arg : arg.toString().getBytes(StandardCharsets.UTF_8);
            out.write('$');
            writeNumber(bytes.length);
            out.write(bytes);
            out.write('\r');
            out.write('\n');
        }
        out.flush();
    }

    /** Sends a command and reads its reply. */
    Object call(Object... args) throws IOException {
        send(args);
        return read();
    }

    /** One reply: String (simple), Long, byte[] (bulk, null if nil) or List; an error reply throws. */
    Object read() throws IOException {
        int type = in.read();
        switch (type) {
            case '+':
                return line();
            case '-':
                throw new IOException("redis: " + line());
            case ':':
                return Long.parseLong(line());
            case '$': {
                int length = Integer.parseInt(line());
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length);
                in.skipNBytes(2);
                return bytes;
            }
            case '*': {
                int count = Integer.parseInt(line());
                List<Object> items = new ArrayList<>(Math.max(count, 0));
                for (int i = 0; i < count; i++) {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IOException("redis: unexpected reply type " + type);
        }
    }

    private String line() throws IOException {
        StringBuilder text = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("redis closed the connection");
            }
            text.append((char) c);
        }
        in.read();
        return text.toString();
    }

    private void writeNumber(int n) throws IOException {
        out.write(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
