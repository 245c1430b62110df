/**
 * FlashFlow's one extension of jtorctl, placed in jtorctl's own package only because the reply
 * fields it must read are package-private. Nothing else of FlashFlow belongs here.
 */
package net.freehaven.tor.control;
