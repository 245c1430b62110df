package org.flashflow.common.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of Prometheus' text exposition format (version 0.0.4), for tests that scrape a
 * daemon: every sample must belong to a family declared by {@code # TYPE} (with the suffixes its
 * type allows), names and labels must be well formed, values must parse, and no series may repeat.
 * Anything else fails with the line.
 */
public final class PrometheusText {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)( -?\\d+)?");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");

  private final Map<String, String> types = new HashMap<>();
  private final Map<String, Double> samples = new LinkedHashMap<>();

  private PrometheusText() {}

  /** GETs {@code http://address/metrics} and parses it. */
  public static PrometheusText scrape(InetSocketAddress address)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String host = address.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + address.getPort() + "/metrics"))
            .timeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError("scrape answered " + response.statusCode() + ": " + response.body());
    }
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (!type.startsWith("text/plain") || !type.contains("version=0.0.4")) {
      throw new AssertionError("scrape answered Content-Type " + type);
    }
    return parse(response.body());
  }

  /** Parses exposition text; fails with the offending line. */
  public static PrometheusText parse(String text) {
    PrometheusText p = new PrometheusText();
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      if (line.isEmpty()) {
        continue;
      }
      try {
        p.line(line);
      } catch (IllegalArgumentException e) {
        throw new AssertionError("line " + n + " \"" + line + "\": " + e.getMessage(), e);
      }
    }
    return p;
  }

  private void line(String line) {
    if (line.startsWith("# HELP ")) {
      name(line.substring(7).split(" ", 2)[0]);
      return;
    }
    if (line.startsWith("# TYPE ")) {
      String[] parts = line.substring(7).split(" ", -1);
      if (parts.length != 2 || !parts[1].matches("counter|gauge|histogram|summary|untyped")) {
        throw new IllegalArgumentException("bad TYPE line");
      }
      if (types.put(name(parts[0]), parts[1]) != null) {
        throw new IllegalArgumentException("second TYPE for " + parts[0]);
      }
      return;
    }
    if (line.startsWith("#")) {
      return; // a comment
    }
    Matcher m = SAMPLE.matcher(line);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a sample");
    }
    String name = m.group(1);
    family(name);
    Map<String, String> labels = new TreeMap<>();
    if (m.group(3) != null && !m.group(3).isEmpty()) {
      Matcher l = LABEL.matcher(m.group(3));
      int at = 0;
      while (at < m.group(3).length()) {
        if (!l.find(at) || l.start() != at) {
          throw new IllegalArgumentException("bad labels");
        }
        if (labels.put(l.group(1), l.group(2)) != null) {
          throw new IllegalArgumentException("label " + l.group(1) + " twice");
        }
        at = l.end();
      }
    }
    double value = value(m.group(4));
    if (samples.put(key(name, labels), value) != null) {
      throw new IllegalArgumentException("series repeated");
    }
  }

  private static String name(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad metric name " + name);
    }
    return name;
  }

  /** The TYPE'd family a sample belongs to. */
  private void family(String name) {
    if (types.containsKey(name)) {
      if (types.get(name).equals("histogram")) {
        throw new IllegalArgumentException("histogram sample without _bucket, _count or _sum");
      }
      return;
    }
    for (String suffix : new String[] {"_bucket", "_count", "_sum", "_total", "_created"}) {
      if (name.endsWith(suffix)) {
        String base = name.substring(0, name.length() - suffix.length());
        String t = types.get(base);
        if (t == null) {
          continue;
        }
        boolean ok =
            switch (suffix) {
              case "_bucket" -> t.equals("histogram");
              case "_count", "_sum" -> t.equals("histogram") || t.equals("summary");
              case "_total" -> t.equals("counter");
              default -> true;
            };
        if (ok) {
          return;
        }
      }
    }
    throw new IllegalArgumentException("sample of no declared family");
  }

  private static double value(String v) {
    return switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }

  private static String key(String name, Map<String, String> labels) {
    StringBuilder sb = new StringBuilder(name);
    if (!labels.isEmpty()) {
      sb.append('{');
      labels.forEach((k, v) -> sb.append(k).append("=\"").append(v).append("\","));
      sb.setLength(sb.length() - 1);
      sb.append('}');
    }
    return sb.toString();
  }

  /** The TYPE of a family, e.g. {@code counter}; empty if undeclared. */
  public Optional<String> type(String family) {
    return Optional.ofNullable(types.get(family));
  }

  /**
   * One sample's value.
   *
   * @param labels name, value, name, value...
   */
  public Optional<Double> find(String name, String... labels) {
    Map<String, String> l = new TreeMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      l.put(labels[i], labels[i + 1]);
    }
    return Optional.ofNullable(samples.get(key(name, l)));
  }

  /** As {@link #find}, failing when the series is missing. */
  public double value(String name, String... labels) {
    return find(name, labels)
        .orElseThrow(
            () ->
                new AssertionError(
                    "no series "
                        + name
                        + " "
                        + String.join(",", labels)
                        + " among "
                        + samples.keySet().stream().filter(k -> k.startsWith(name)).toList()));
  }

  /** Every series, as {@code name{label="value",...}} with labels sorted, and its value. */
  public Map<String, Double> samples() {
    return samples;
  }
}
