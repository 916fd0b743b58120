/* mmtests-sync TOKEN: what shellpacks call at sync points. */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "sync_client.h"

int main(int argc, char **argv)
{
	log_set_program(argv[0]);
	if (argc != 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fprintf(argc == 2 ? stdout : stderr,
			"usage: mmtests-sync TOKEN\n"
			"Wait at a barrier shared by all VMs of a run-kvm run. TOKEN is one of\n"
			"mmtests_start test_do iteration_begin iteration_end test_done mmtests_end.\n"
			"Without MMTESTS_SYNC in the environment it returns at once.\n");
		return argc == 2 ? 0 : 2;
	}
	return sync_point(argv[1]) ? 1 : 0;
}
