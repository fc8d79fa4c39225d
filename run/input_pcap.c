/* input_pcap.c - packets of a pcap capture (libpcap), one run input each. Kept apart
 * from the other inputs: libpcap's classic-BPF header clashes with <linux/bpf.h>.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input_pcap.h"

int pcap_read_packets(const char *path, pcap_packet_fn add, void *ctx, char *err,
		      size_t errlen)
{
	char pcap_err[PCAP_ERRBUF_SIZE] = "";
	pcap_t *pcap = pcap_open_offline(path, pcap_err);
	struct pcap_pkthdr *hdr;
	const u_char *bytes;
	int status, index = 0;

	if (!pcap) {
		snprintf(err, errlen, "%s: %s", path, pcap_err);
		return -1;
	}
	while ((status = pcap_next_ex(pcap, &hdr, &bytes)) == 1) {
		char label[300];
		uint8_t *copy = malloc(hdr->caplen ? hdr->caplen : 1);
		if (!copy)
			break;
		memcpy(copy, bytes, hdr->caplen);
		const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		snprintf(label, sizeof(label), "pcap %s #%d", base, ++index);
		if (add(ctx, label, copy, hdr->caplen)) {
			free(copy);
			break;
		}
	}
	if (status == PCAP_ERROR)
		snprintf(err, errlen, "%s: %s", path, pcap_geterr(pcap));
	pcap_close(pcap);
	if (status == PCAP_ERROR || status == 1)
		return -1;
	if (index == 0) {
		snprintf(err, errlen, "%s: no packets", path);
		return -1;
	}
	return 0;
}
