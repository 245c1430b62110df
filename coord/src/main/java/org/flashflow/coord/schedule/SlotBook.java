package org.flashflow.coord.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;

/**
 * One period's reservations: per slot, the relays planned and the measurer capacity (bytes/s) they
 * need together. Planning is on the measurers' total capacity only; which measurer gives what is
 * decided when the slot starts (by {@link Assigner}), because only then is it known who is
 * connected and how much is still busy. That is sound because a measurement can be split over
 * measurers in any proportion: whatever fits in the total fits in the measurers.
 */
final class SlotBook {
  /** Random picks before falling back to a scan of every slot. */
  static final int RANDOM_TRIES = 64;

  private final long capacity;
  private final long[] reserved;
  private final List<List<String>> planned;

  SlotBook(int slots, long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("no measurer capacity to plan with");
    }
    this.capacity = capacity;
    this.reserved = new long[slots];
    this.planned = new ArrayList<>(slots);
    for (int i = 0; i < slots; i++) {
      planned.add(new ArrayList<>());
    }
  }

  long capacity() {
    return capacity;
  }

  int slots() {
    return reserved.length;
  }

  long reserved(int slot) {
    return reserved[slot];
  }

  List<String> planned(int slot) {
    return planned.get(slot);
  }

  boolean fits(int slot, long need) {
    return reserved[slot] + need <= capacity;
  }

  void reserve(int slot, String fp, long need) {
    if (!fits(slot, need)) {
      throw new IllegalStateException("slot " + slot + " has no room for " + need);
    }
    reserved[slot] += need;
    planned.get(slot).add(fp);
  }

  void release(int slot, String fp, long need) {
    if (!planned.get(slot).remove(fp)) {
      throw new IllegalStateException(fp + " is not planned in slot " + slot);
    }
    reserved[slot] -= need;
  }

  /**
   * A slot in {@code from..slots-1} with room for {@code need}, uniformly at random among all such
   * slots: rejection sampling over the whole range (unbiased), then, if {@link #RANDOM_TRIES} picks
   * all hit full slots, a uniform pick from a scan of the slots that have room. So the search is
   * bounded and the choice is the same distribution either way.
   */
  OptionalInt randomSlot(long need, int from, Random random) {
    return randomSlot(need, from, reserved.length, random);
  }

  /** As {@link #randomSlot(long, int, Random)}, among slots {@code from..to-1}. */
  OptionalInt randomSlot(long need, int from, int to, Random random) {
    int end = Math.min(to, reserved.length);
    int n = end - from;
    if (n <= 0) {
      return OptionalInt.empty();
    }
    for (int i = 0; i < RANDOM_TRIES; i++) {
      int slot = from + random.nextInt(n);
      if (fits(slot, need)) {
        return OptionalInt.of(slot);
      }
    }
    int[] room = new int[n];
    int count = 0;
    for (int slot = from; slot < end; slot++) {
      if (fits(slot, need)) {
        room[count++] = slot;
      }
    }
    return count == 0 ? OptionalInt.empty() : OptionalInt.of(room[random.nextInt(count)]);
  }

  /** The first slot from {@code from} on with room for {@code need}. */
  OptionalInt firstSlot(long need, int from) {
    return firstSlot(need, from, reserved.length);
  }

  /** As {@link #firstSlot(long, int)}, among slots {@code from..to-1}. */
  OptionalInt firstSlot(long need, int from, int to) {
    for (int slot = Math.max(0, from); slot < Math.min(to, reserved.length); slot++) {
      if (fits(slot, need)) {
        return OptionalInt.of(slot);
      }
    }
    return OptionalInt.empty();
  }
}
