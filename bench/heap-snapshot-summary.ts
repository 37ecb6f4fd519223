// What a V8 heap snapshot (.heapsnapshot) holds: its total, and the kinds of object that weigh most
// (self size summed per type and constructor name). Buffers' bytes live outside the JS heap; V8 lists
// them as "system / JSArrayBufferData" nodes, counted here under that name. Pure.

/** The parts of a .heapsnapshot file this reads. */
export interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: unknown[] } };
  nodes: number[];
  strings: string[];
}

export interface HeapLine {
  what: string;
  count: number;
  mb: number;
}

export interface HeapSummary {
  totalMb: number;
  /** Bytes of ArrayBuffers and Buffers (outside the JS heap proper), MB. */
  arrayBufferMb: number;
  top: HeapLine[];
}

export function summariseHeap(heap: HeapSnapshot, top: number): HeapSummary {
  const fields = heap.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const sizeAt = fields.indexOf("self_size");
  const typeNames = heap.snapshot.meta.node_types[typeAt] as string[];
  const totals = new Map<string, { count: number; bytes: number }>();
  let total = 0;
  let arrayBuffers = 0;
  for (let offset = 0; offset < heap.nodes.length; offset += width) {
    const type = typeNames[heap.nodes[offset + typeAt]!] ?? "?";
    const name = heap.strings[heap.nodes[offset + nameAt]!] ?? "?";
    const bytes = heap.nodes[offset + sizeAt]!;
    total += bytes;
    if (name === "system / JSArrayBufferData") arrayBuffers += bytes;
    // Strings, numbers and code are grouped by their type; objects by their constructor.
    const what = type === "object" || type === "native" || type === "closure" ? `${name} (${type})` : `(${type})`;
    const line = totals.get(what) ?? { count: 0, bytes: 0 };
    line.count += 1;
    line.bytes += bytes;
    totals.set(what, line);
  }
  const mb = (bytes: number) => bytes / (1024 * 1024);
  return {
    totalMb: mb(total),
    arrayBufferMb: mb(arrayBuffers),
    top: [...totals]
      .sort((a, b) => b[1].bytes - a[1].bytes)
      .slice(0, top)
      .map(([what, line]) => ({ what, count: line.count, mb: mb(line.bytes) })),
  };
}
