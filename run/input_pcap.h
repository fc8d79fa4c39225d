/* input_pcap.h - pcap reader of ebpf-run; free of <linux/bpf.h> on purpose. */
#ifndef EBPF_RUN_INPUT_PCAP_H
#define EBPF_RUN_INPUT_PCAP_H

#include <stddef.h>
#include <stdint.h>

/* Receives one packet (ownership of `data` passes on success); returns 0 or -1. */
typedef int (*pcap_packet_fn)(void *ctx, const char *label, uint8_t *data, size_t size);

/* Call `add` for every packet of the capture at `path`, labelled "pcap PATH #N".
 * Returns 0, or -1 with a message in err (unreadable file, no packets). */
int pcap_read_packets(const char *path, pcap_packet_fn add, void *ctx, char *err,
		      size_t errlen);

#endif /* EBPF_RUN_INPUT_PCAP_H */
