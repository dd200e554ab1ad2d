package dev.sluice.platform.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiRouteTest {

    private final AtomicReference<String> contentType = new AtomicReference<>("text/html");
    private final AtomicInteger probes = new AtomicInteger();
    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void closedWhileNothingListens() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        assertFalse(routeTo(port).isOpen());
    }

    @Test
    void closedWhilePayaraAnswersWithItsOwnPages() throws IOException {
        ApiRoute route = routeTo(startServer());
        assertFalse(route.isOpen());
        assertFalse(route.isOpen());
        assertEquals(2, probes.get(), "asks again until the API answers");
    }

    @Test
    void opensOnceTheApiAnswersAndStaysOpenWithoutAskingAgain() throws IOException {
        ApiRoute route = routeTo(startServer());
        assertFalse(route.isOpen());
        contentType.set("application/json");
        assertTrue(route.isOpen());
        contentType.set("text/html");
        assertTrue(route.isOpen());
        assertEquals(2, probes.get());
    }

    private int startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v2/", exchange -> {
            probes.incrementAndGet();
            byte[] body = "{\"error\":\"missing or invalid token\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType.get());
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server.getAddress().getPort();
    }

    private static ApiRoute routeTo(int port) {
        ApiRoute route = new ApiRoute();
        route.port = port;
        route.init();
        return route;
    }
}
