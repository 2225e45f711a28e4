/** Archives and container images: opened in memory, every entry through core's content pipeline. */
export { archiveKind, unopenableKind, unopenableReason } from './kind.js';
export { DEFAULT_ARCHIVE_LIMITS, formatBytes, type ArchiveLimits } from './limits.js';
export { entryFile, scanArchive, type ArchiveScan } from './scan-archive.js';
