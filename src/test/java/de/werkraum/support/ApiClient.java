package de.werkraum.support;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** A real HTTP client with its own cookie jar, sending the headers our own pages send. */
public final class ApiClient {

  /** One answer: status, parsed JSON body (or null), and the raw headers. */
  public record Response(int status, String body, HttpResponse<String> raw) {
    public JsonObject json() {
      return body == null || body.isEmpty() ? null : new JsonObject(body);
    }

    public String errorCode() {
      JsonObject j = json();
      return j == null || j.getJsonObject("error") == null ? null : j.getJsonObject("error").getString("code");
    }

    public JsonArray items() {
      return json().getJsonArray("items");
    }

    public List<String> cookies() {
      return raw.headers().allValues("set-cookie");
    }
  }

  private final String base;
  private final String origin;
  private final CookieManager cookies = new CookieManager();
  private final HttpClient http;

  public static ApiClient forTest(String base, String origin) {
    return new ApiClient(base, origin);
  }

  ApiClient(String base, String origin) {
    this.base = base;
    this.origin = origin;
    this.http = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(10)).build();
  }

  public CookieManager cookieJar() {
    return cookies;
  }

  /** The session cookie as a Cookie header value, for opening a WebSocket as this client's user. */
  public String cookieHeader() {
    StringBuilder b = new StringBuilder();
    for (var c : cookies.getCookieStore().getCookies()) {
      if (b.length() > 0) {
        b.append("; ");
      }
      b.append(c.getName()).append('=').append(c.getValue());
    }
    return b.toString();
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  public Response post(String path, Object body) {
    return send(json(path, body).POST(publisher(body)));
  }

  public Response put(String path, Object body) {
    return send(json(path, body).PUT(publisher(body)));
  }

  public Response patch(String path, Object body) {
    return send(json(path, body).method("PATCH", publisher(body)));
  }

  public Response delete(String path) {
    return send(json(path, null).DELETE());
  }

  /** A request as given, with no headers added: for CSRF and malformed-input tests. */
  public Response raw(String method, String path, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b);
  }

  private HttpRequest.Builder json(String path, Object body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .header("Origin", origin)
        .header("X-Werkraum-Csrf", "1");
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return b;
  }

  private static HttpRequest.BodyPublisher publisher(Object body) {
    if (body == null) {
      return HttpRequest.BodyPublishers.noBody();
    }
    String text = body instanceof String s ? s : Json.encode(body);
    return HttpRequest.BodyPublishers.ofString(text);
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
