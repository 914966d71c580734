/**
 * Real test servers for integration and fault tests, started on free loopback ports by the
 * tests themselves, with controls that act on the real processes (SIGKILL, SIGSTOP, DEBUG SLEEP).
 */
package io.layercache.testsupport;
