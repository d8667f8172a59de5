/*
 * error.h - one voice for every diagnostic mmbench prints.
 *
 * Messages follow git's style: "mmbench: " prefix, lower case, no full stop,
 * the subject quoted.  They go to stderr; data goes to stdout or the CSV file.
 */
#ifndef MMBENCH_ERROR_H
#define MMBENCH_ERROR_H

/* Exit statuses shared by every subcommand. */
#define EXIT_RUNTIME 1 /* something failed while running */
#define EXIT_USAGE 2   /* the command line or an input file was wrong */

/* Print "mmbench: <message>" to stderr. */
void error_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Until called again with NULL, every message says where it comes from
 * first: "mmbench: <context>: <message>" (a suite's exec line checked by
 * exec's own parser, whose messages name only the flag). */
void error_context(const char *context);

/* Print "mmbench: warning: <message>" to stderr. */
void error_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
