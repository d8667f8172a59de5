#include "cli/man.h"

#include <ctype.h>
#include <string.h>

/* Write s as roff text: backslashes and minus signs escaped, a line that
 * starts with a control character (. or ') guarded, a blank line a new
 * paragraph, lines broken at a space past 72 columns (roff fills them
 * again; mandoc -T lint asks for short source lines). */
static void man_text(FILE *f, const char *s)
{
	bool bol = true, para = false; /* para: a .PP was the last line */
	int col = 0;

	for (; *s; s++) {
		if (*s == ' ' && col >= 72) {
			while (s[1] == ' ')
				s++;
			fputc('\n', f);
			bol = true;
			col = 0;
			continue;
		}
		if (bol && *s == '\n') {
			fputs(".PP\n", f);
			para = true;
			while (s[1] == '\n')
				s++;
			continue;
		}
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", f);
		if (bol && *s == ' ') {
			/* an indented line keeps its line: a break (unless a
			 * paragraph just began), no leading blanks */
			if (!para)
				fputs(".br\n", f);
			para = false;
			while (s[1] == ' ')
				s++;
			continue;
		}
		para = false;
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
		bol = *s == '\n';
		col = bol ? 0 : col + 1;
	}
	if (!bol)
		fputc('\n', f);
}

/* s as roff text on the current line, without a newline. */
static void man_inline(FILE *f, const char *s)
{
	for (; *s; s++)
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else if (*s != '\n')
			fputc(*s, f);
}

static void man_header(FILE *f, const char *page, const char *version, const char *date)
{
	fputs(".TH ", f);
	for (const char *p = page; *p; p++)
		fputc(*p == '-' ? '-' : toupper((unsigned char)*p), f);
	fprintf(f, " 1 \"%s\" \"mmbench %s\" \"mmbench manual\"\n", date, version);
}

static void man_option(const struct cli_entry *e, void *ctx)
{
	FILE *f = ctx;

	fputs(".TP\n", f);
	if (e->short_name)
		fprintf(f, "\\fB\\-%c\\fR, ", e->short_name);
	fputs("\\fB\\-\\-", f);
	man_inline(f, e->name);
	fputs("\\fR", f);
	if (e->metavar) {
		fputs(" \\fI", f);
		man_inline(f, e->metavar);
		fputs("\\fR", f);
	}
	fputc('\n', f);
	man_text(f, e->help);
	if (e->def) {
		fputs(".br\nDefault: \\fB", f);
		man_inline(f, e->def);
		fputs("\\fR.\n", f);
	}
}

void man_command(FILE *f, const struct cli_command *cmd, const struct cli_option *opts,
		 const char *version, const char *date)
{
	char page[64];

	snprintf(page, sizeof(page), "mmbench-%s", cmd->name);
	man_header(f, page, version, date);
	fputs(".SH NAME\nmmbench\\-", f);
	man_inline(f, cmd->name);
	fputs(" \\- ", f);
	man_inline(f, cmd->summary);
	fputs("\n.SH SYNOPSIS\n.B mmbench ", f);
	man_inline(f, cmd->name);
	fputc('\n', f);
	if (*cmd->args)
		man_text(f, cmd->args);
	fputs(".SH DESCRIPTION\n", f);
	man_text(f, cmd->about);
	if (opts->type != CLI_END) {
		fputs(".SH OPTIONS\n", f);
		cli_each(opts, man_option, f);
	}
	fputs(".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nprint this help (as text) and exit\n", f);
	fputs(".SH EXIT STATUS\n0 on success, 1 when a run or a check fails,\n"
	      "2 on a usage error (a one\\-line message naming the flag and the value).\n",
	      f);
	fputs(".SH SEE ALSO\n.BR mmbench (1)\n", f);
}

void man_script(FILE *f, const char *name, const char *help, const char *version,
		const char *date)
{
	char page[64], prefix[80], summary[256], args[512];
	const char *text = help, *dash;
	size_t plen, n = 0;

	snprintf(page, sizeof(page), "mmbench-%s", name);
	snprintf(prefix, sizeof(prefix), "scripts/%s", name);
	plen = strlen(prefix);
	/* "scripts/NAME ARGS - what it does.  More..." */
	if (!strncmp(text, prefix, plen) && (text[plen] == ' ' || text[plen] == '\n'))
		text += plen;
	dash = strstr(text, " - ");
	/* the NAME line: the first sentence, on one line */
	for (const char *c = dash ? dash + 3 : text; *c && n + 1 < sizeof(summary); c++) {
		if (*c == '?' || (*c == '.' && (c[1] == ' ' || c[1] == '\n' || !c[1])) ||
		    (*c == '\n' && c[1] == '\n'))
			break;
		summary[n++] = *c == '\n' ? ' ' : *c;
	}
	summary[n] = '\0';
	snprintf(args, sizeof(args), "%.*s", dash ? (int)(dash - text) : 0, text);
	man_header(f, page, version, date);
	fputs(".SH NAME\nmmbench\\-", f);
	man_inline(f, name);
	fputs(" \\- ", f);
	man_inline(f, summary);
	fputs("\n.SH SYNOPSIS\n.B mmbench ", f);
	man_inline(f, name);
	fputc('\n', f);
	if (args[strspn(args, " ")])
		man_text(f, args + strspn(args, " "));
	fputs(".SH DESCRIPTION\n", f);
	man_text(f, dash ? dash + 3 : text);
	fputs(".SH EXIT STATUS\n0 on success, 1 when a run or a check fails,\n"
	      "2 on a usage error (a one\\-line message naming the flag and the value).\n"
	      ".SH SEE ALSO\n.BR mmbench (1)\n",
	      f);
}

void man_main(FILE *f, const struct man_main *m)
{
	man_header(f, "mmbench", m->version, m->date);
	fputs(".SH NAME\nmmbench \\- ", f);
	man_inline(f, m->summary);
	fputs("\n.SH SYNOPSIS\n.B mmbench\n\\fICOMMAND\\fR [\\fIoptions\\fR]\n.br\n"
	      ".B mmbench\n\\-\\-list | \\-\\-help | \\-\\-version | \\-\\-exec\\-path\n"
	      ".SH DESCRIPTION\n",
	      f);
	man_text(f, m->about);
	fputs(".SH COMMANDS\n", f);
	for (const struct cli_command *const *c = m->cmds; *c; c++) {
		fputs(".TP\n.BR mmbench\\-", f);
		man_inline(f, (*c)->name);
		fputs(" (1)\n", f);
		man_text(f, (*c)->summary);
	}
	if (m->scripts && *m->scripts) {
		fputs(".SS Commands on the exec\\-path\n"
		      "Any other \\fICOMMAND\\fR runs \\fBmmbench\\-\\fR\\fICOMMAND\\fR\n"
		      "from the exec\\-path, with its arguments\n"
		      "(as git runs \\fBgit\\-\\fR\\fINAME\\fR);\n"
		      "\\fBmmbench\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR prints its usage.\n"
		      "Installed:\n",
		      f);
		for (const char *const *s = m->scripts; *s; s++) {
			fputs(".TP\n.B ", f);
			man_inline(f, *s);
			fputs("\n", f);
			fputs("\\fBmmbench ", f);
			man_inline(f, *s);
			fputs(" \\-\\-help\\fR\n", f);
		}
	}
	fputs(".SH OPTIONS\n"
	      ".TP\n.B \\-\\-list\nbackends and workloads, and why any is missing\n"
	      ".TP\n.B \\-\\-help\nthe commands, as text\n"
	      ".TP\n.B \\-\\-version\nthe version, naming the commit it was built from\n"
	      ".TP\n.B \\-\\-exec\\-path\nthe folder of the commands that are not built in\n"
	      ".SH ENVIRONMENT\n"
	      ".TP\n.B MMBENCH_EXEC_PATH\nwhere \\fBmmbench\\fR \\fICOMMAND\\fR looks for\n"
	      "\\fBmmbench\\-\\fR\\fICOMMAND\\fR, instead of the installed folder\n"
	      ".TP\n.B MMBENCH\nthe mmbench binary the script commands run\n"
	      "(set to this one when unset)\n"
	      ".TP\n.B MMBENCH_DATA_DIR\nwhere the script commands find the suites\n"
	      "(\\fIbench/\\fR) and the fleet playbook (\\fIfleet/\\fR)\n"
	      ".SH EXIT STATUS\n0 on success, 1 when a run or a check fails, 2 on a usage error.\n"
	      ".SH SEE ALSO\n",
	      f);
	for (const struct cli_command *const *c = m->cmds; *c; c++) {
		fputs(".BR mmbench\\-", f);
		man_inline(f, (*c)->name);
		fputs(c[1] ? " (1),\n" : " (1)\n", f);
	}
}
