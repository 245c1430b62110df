/**
 * Keys and pinned self-signed certificates for the coordinator-measurer TLS link: generating them,
 * reading PEM files and extracting the peer name (the subject's {@code O=}). Nothing here opens
 * sockets or decides whom to trust; that belongs to the code that builds the TLS contexts.
 */
package org.flashflow.common.tls;
