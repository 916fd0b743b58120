/* Runs the fuzz target on deterministic mutations of real inputs, so the
 * readers are exercised by make check (and under ASan/UBSan in CI) without
 * libFuzzer. TAP output. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const seeds[] = {
	"Copy\t1\t_\t1\t29406.4\t_\nScale\t1\t_\t1\t29230.7\t_\n",
	"time\t4\t_\t3\t0.069\t_\ntime\t4\t_\t4\t1e308\n",
	"start :: 1795400000\ntest begin :: stream 1795400000\ntime :: stream 1.02 user 0.30 system 1.50 elapsed\nfinish :: 1\n",
	"a\tb\tc\td\t-0\te\n\n\n\t\t\t\t\t\n",
};

static uint64_t state = 88172645463325252ULL;

static uint64_t next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 200000;
	uint8_t buf[4096];
	const char junk[] = "\t\n:-_.e+0123456789 \0nanINF";

	for (long i = 0; i < rounds; i++) {
		const char *seed = seeds[next() % (sizeof(seeds) / sizeof(seeds[0]))];
		size_t n = strlen(seed);
		memcpy(buf, seed, n);
		int edits = 1 + next() % 8;
		for (int k = 0; k < edits; k++) {
			size_t pos = n ? next() % n : 0;
			switch (next() % 4) {
			case 0:	/* replace with an interesting byte */
				if (n)
					buf[pos] = junk[next() % (sizeof(junk) - 1)];
				break;
			case 1:	/* random byte */
				if (n)
					buf[pos] = next();
				break;
			case 2:	/* insert */
				if (n + 1 < sizeof(buf)) {
					memmove(buf + pos + 1, buf + pos, n - pos);
					buf[pos] = junk[next() % (sizeof(junk) - 1)];
					n++;
				}
				break;
			case 3:	/* truncate */
				n = pos;
				break;
			}
		}
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("ok 1 - %ld mutated TSV/tests-timestamp inputs read without a crash\n1..1\n", rounds);
	return 0;
}
