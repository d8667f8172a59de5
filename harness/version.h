/* version.h - mmbench's version; the Makefile may override it from git. */
#ifndef MMBENCH_VERSION_H
#define MMBENCH_VERSION_H

#ifndef MMBENCH_VERSION
#define MMBENCH_VERSION "0.1.0"
#endif

#endif
