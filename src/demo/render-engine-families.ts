/**
 * The serving engines' families, relayed per replica of every LLM deployment as Baseten relays them (ENGINES.md):
 * vLLM's, then SGLang's, each family whole (Baseten serves one body, so a family's series from several replicas
 * are written together), in prometheus_client's text shape.
 */
import { engineReplicas, type EngineReplica } from './engine-replica.js';
import type { SglangTraffic, VllmTraffic } from './engine-traffic.js';
import type { ExpositionWriter } from './exposition-writer.js';
import type { Fleet } from './fleet.js';
import { renderSglangFamilies } from './render-sglang-families.js';
import { renderVllmFamilies } from './render-vllm-families.js';

const isVllm = (r: EngineReplica): r is EngineReplica<VllmTraffic> => r.traffic.kind === 'vllm';
const isSglang = (r: EngineReplica): r is EngineReplica<SglangTraffic> => r.traffic.kind === 'sglang';

export function renderEngineFamilies(writer: ExpositionWriter, fleet: Fleet, atMs: number): void {
  const replicas = engineReplicas(fleet, atMs);
  renderVllmFamilies(writer, replicas.filter(isVllm));
  renderSglangFamilies(writer, replicas.filter(isSglang));
}
