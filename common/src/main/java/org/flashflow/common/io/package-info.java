/**
 * Small file helpers that must survive a crash at any instant: atomic replacement of a file or a
 * symlink. Nothing here knows about FlashFlow formats.
 */
package org.flashflow.common.io;
