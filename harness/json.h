/*
 * json.h - minimal JSON output helpers shared by sysinfo and the exporters.
 */
#ifndef MMBENCH_JSON_H
#define MMBENCH_JSON_H

#include <stdio.h>

/* Write s as a JSON string literal, quotes included. */
void json_write_string(FILE *f, const char *s);

#endif
