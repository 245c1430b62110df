package org.flashflow.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Scrapes a metrics endpoint once a second, as an eager Prometheus would, on a daemon thread. */
final class Scraper {
  private Scraper() {}

  static void start(InetSocketAddress at) {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://" + at.getAddress().getHostAddress() + ":" + at.getPort() + "/metrics"))
            .timeout(Duration.ofSeconds(5))
            .build();
    Thread t =
        new Thread(
            () -> {
              while (true) {
                try {
                  http.send(request, HttpResponse.BodyHandlers.discarding());
                  Thread.sleep(1000);
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  System.err.println("scrape failed: " + e);
                }
              }
            },
            "bench-scraper");
    t.setDaemon(true);
    t.start();
  }
}
