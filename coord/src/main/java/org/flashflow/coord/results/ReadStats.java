package org.flashflow.coord.results;

/**
 * What a pass over the results log saw, for the operator's log line: how many measurements came
 * out, and how much was skipped and why.
 *
 * @param files files read (the log and its rotated siblings)
 * @param unreadableFiles rotated siblings that could not be read to the end (e.g. a truncated
 *     {@code .gz}); what they held before the damage was used
 * @param lines lines seen, including skipped ones
 * @param completed measurements that ended in END
 * @param failed measurements that ended in FAIL
 * @param skipped invalid lines (wrong fields, unknown FAIL reason) plus torn last lines
 * @param unknownType lines of a record type this version does not know
 * @param orphans lines of a measurement with no BEGIN before them
 * @param incomplete measurements begun but never ended (crash, or the id begun again)
 */
public record ReadStats(
    int files,
    int unreadableFiles,
    long lines,
    long completed,
    long failed,
    long skipped,
    long unknownType,
    long orphans,
    long incomplete) {

  static ReadStats of(int files, int unreadableFiles, ResultsLogParser.Counts c) {
    return new ReadStats(
        files,
        unreadableFiles,
        c.lines,
        c.completed,
        c.failed,
        c.invalid + c.torn,
        c.unknownType,
        c.orphans,
        c.incomplete);
  }
}
