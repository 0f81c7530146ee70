export type { MemoryBudget, MemoryConsumer } from "@llm/core";
export {
  type ConsumerStats,
  MemoryManager,
  type MemoryManagerEvents,
  type MemoryManagerOptions,
  type MemorySnapshot,
  type MemoryStats,
  type ShrinkEvent,
  type ShrinkReport,
} from "./memory-manager.js";
export type { PressureLevel } from "./pressure.js";
export {
  type ProcessMemoryReader,
  type ProcessMemorySample,
  readProcessMemory,
} from "./process-memory.js";
export type { Listener } from "./typed-emitter.js";
