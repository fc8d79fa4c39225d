/* prog_tag.c - the program tag the kernel reports (bpf_prog_calc_tag): the first 8
 * bytes of the SHA-256 of the instructions as loaded (kernels before 6.18 used SHA-1),
 * with the immediates of map ld_imm64s zeroed so the tag does not depend on fd numbers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "syscall_int.h"

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

static uint32_t sha256_ror(uint32_t x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

/* One 64-byte block (FIPS 180-4, section 6.2.2). */
static void sha256_block(uint32_t h[8], const unsigned char *block)
{
	uint32_t w[64], v[8];

	for (int t = 0; t < 16; t++)
		w[t] = (uint32_t)block[4 * t] << 24 | (uint32_t)block[4 * t + 1] << 16 |
		       (uint32_t)block[4 * t + 2] << 8 | block[4 * t + 3];
	for (int t = 16; t < 64; t++) {
		uint32_t s0 = sha256_ror(w[t - 15], 7) ^ sha256_ror(w[t - 15], 18) ^ (w[t - 15] >> 3);
		uint32_t s1 = sha256_ror(w[t - 2], 17) ^ sha256_ror(w[t - 2], 19) ^ (w[t - 2] >> 10);

		w[t] = w[t - 16] + s0 + w[t - 7] + s1;
	}
	memcpy(v, h, sizeof(v));
	for (int t = 0; t < 64; t++) {
		uint32_t s1 = sha256_ror(v[4], 6) ^ sha256_ror(v[4], 11) ^ sha256_ror(v[4], 25);
		uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
		uint32_t t1 = v[7] + s1 + ch + sha256_k[t] + w[t];
		uint32_t s0 = sha256_ror(v[0], 2) ^ sha256_ror(v[0], 13) ^ sha256_ror(v[0], 22);
		uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);

		memmove(v + 1, v, 7 * sizeof(v[0]));
		v[4] += t1;
		v[0] = t1 + s0 + maj;
	}
	for (int i = 0; i < 8; i++)
		h[i] += v[i];
}

/* SHA-256 of `len` bytes into digest[32]. */
static int sha256(const void *data, size_t len, unsigned char digest[32])
{
	uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	size_t padded = (len + 8) / 64 * 64 + 64;
	unsigned char *buf = calloc(1, padded);
	uint64_t bits = (uint64_t)len * 8;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, data, len);
	buf[len] = 0x80;
	for (int i = 0; i < 8; i++)
		buf[padded - 1 - i] = (unsigned char)(bits >> (8 * i));
	for (size_t off = 0; off < padded; off += 64)
		sha256_block(h, buf + off);
	free(buf);
	for (int i = 0; i < 8; i++) {
		digest[4 * i] = (unsigned char)(h[i] >> 24);
		digest[4 * i + 1] = (unsigned char)(h[i] >> 16);
		digest[4 * i + 2] = (unsigned char)(h[i] >> 8);
		digest[4 * i + 3] = (unsigned char)h[i];
	}
	return 0;
}

int emu_prog_tag(const struct emu_prog *prog, unsigned char tag[BPF_TAG_SIZE])
{
	size_t size = (size_t)prog->orig_insn_cnt * sizeof(struct objfmt_insn);
	struct objfmt_insn *insns = malloc(size ? size : 1);
	unsigned char digest[32];
	bool was_ld_map = false;
	int err;

	if (!insns)
		return -ENOMEM;
	memcpy(insns, prog->orig_insns, size);
	for (uint32_t i = 0; i < prog->orig_insn_cnt; i++) {
		struct objfmt_insn *insn = &insns[i];

		if (!was_ld_map && insn->code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    (insn->src_reg == BPF_PSEUDO_MAP_FD || insn->src_reg == BPF_PSEUDO_MAP_VALUE)) {
			was_ld_map = true;
			insn->imm = 0;
		} else if (was_ld_map && !insn->code && !insn->dst_reg && !insn->src_reg &&
			   !insn->off) {
			was_ld_map = false;
			insn->imm = 0;
		} else {
			was_ld_map = false;
		}
	}
	err = sha256(insns, size, digest);
	free(insns);
	if (!err)
		memcpy(tag, digest, BPF_TAG_SIZE);
	return err;
}
