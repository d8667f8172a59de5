#include "stream.h"

uint64_t stream_ops(const struct stream *s)
{
	if (s->random)
		return s->n;
	if (s->start >= s->end)
		return 0;
	return (s->end - s->start + s->block - 1) / s->block * s->passes;
}

uint64_t stream_bytes(const struct stream *s)
{
	if (s->random)
		return s->n * s->block;
	return s->start >= s->end ? 0 : (s->end - s->start) * s->passes;
}

struct stream stream_range(uint64_t start, uint64_t end, uint64_t block, uint64_t passes)
{
	return (struct stream){ .random = false, .block = block, .start = start, .end = end,
				.passes = passes };
}

struct stream stream_random(uint64_t n, uint64_t base, uint64_t nblocks, uint64_t block,
			    uint64_t seed)
{
	return (struct stream){ .random = true, .block = block, .n = n, .base = base,
				.nblocks = nblocks ? nblocks : 1, .seed = seed };
}
