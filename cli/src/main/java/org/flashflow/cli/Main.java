package org.flashflow.cli;

/** Entry point of the {@code flashflow} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("flashflow");
  }
}
