/*
 * json.h - minimal JSON output helpers shared by sysinfo and the exporters.
 */
#ifndef MMBENCH_JSON_H
#define MMBENCH_JSON_H

#include <stdio.h>

/* Write s as a JSON string literal, quotes included. */
void json_write_string(FILE *f, const char *s);

/* Write v with up to 10 significant digits, or null when it is not finite:
 * JSON has no NaN or infinity. */
void json_write_number(FILE *f, double v);

#endif
