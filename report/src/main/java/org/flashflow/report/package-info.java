/**
 * {@code flashflow report}: the results log, saved consensus, descriptors and schedule state as one
 * HTML page with SVG charts (JFreeChart drawing on JFreeSVG). The only package that uses
 * JFreeChart; only the command line uses it.
 */
package org.flashflow.report;
