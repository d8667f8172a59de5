/* Unit tests for cleanup_hold: a fatal signal that arrives while a file
 * the undo acts on is made but not yet recorded waits for the record, on
 * the thread in the section and on any other.  Each case runs in a child
 * that dies of the signal; the parent checks what it left. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sys/cleanup.h"

static char made_path[64];
static volatile int made_recorded;
static volatile pid_t other_tid;

/* The undo: removes the file once it is recorded, as a journal's does. */
static void undo_made(void)
{
	if (made_recorded)
		unlink(made_path);
}

static void *wait_for_signal(void *arg)
{
	(void)arg;
	other_tid = (pid_t)syscall(SYS_gettid);
	for (;;)
		pause();
	return NULL;
}

/* In a held section, make the file, have SIGTERM sent (to this thread,
 * or to another that does not block it) and only then record it. */
static void make_signal_record(bool other_thread)
{
	struct timespec moment = { 0, 100000000 };
	pthread_t t;
	sigset_t mask;
	int fd;

	if (other_thread) {
		if (pthread_create(&t, NULL, wait_for_signal, NULL))
			_exit(3);
		while (!other_tid)
			nanosleep(&moment, NULL);
	}
	cleanup_hold(&mask);
	fd = open(made_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		_exit(4);
	close(fd);
	if (other_thread)
		syscall(SYS_tgkill, getpid(), other_tid, SIGTERM);
	else
		raise(SIGTERM);
	/* the other thread's handler runs meanwhile, if it does not wait */
	nanosleep(&moment, NULL);
	made_recorded = 1;
	cleanup_release(&mask);
	for (;;)
		pause();
}

static void check_case(bool other_thread)
{
	int status;
	pid_t pid;

	snprintf(made_path, sizeof(made_path), "/var/tmp/mmbench-cleanup-test-%d", getpid());
	unlink(made_path);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		cleanup_init();
		cleanup_set_undo(CLEANUP_UNDO_USER_FILE, undo_made);
		make_signal_record(other_thread);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	/* it died of the signal, after its undo removed the recorded file */
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGTERM);
	assert_int_equal(access(made_path, F_OK), -1);
	unlink(made_path);
}

static void test_signal_on_the_holding_thread_waits_for_the_record(void **state)
{
	(void)state;
	check_case(false);
}

static void test_signal_on_another_thread_waits_for_the_section(void **state)
{
	(void)state;
	check_case(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signal_on_the_holding_thread_waits_for_the_record),
		cmocka_unit_test(test_signal_on_another_thread_waits_for_the_section),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
