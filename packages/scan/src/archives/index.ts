/** Archives and container images: opened in memory, every entry through core's content pipeline. */
export { archiveKind, KIND_SNIFF, unopenableKind, unopenableReason, type ArchiveKind } from './kind.js';
export { DEFAULT_ARCHIVE_LIMITS, formatBytes, type ArchiveLimits } from './limits.js';
export { entryFile, scanArchive, type ArchiveScan, type EntryHit, type EntrySkip } from './scan-archive.js';
