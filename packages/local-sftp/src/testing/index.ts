export { connect, describeSftpConformance } from './sftp-conformance.js';
export type { SftpConformanceTarget } from './sftp-conformance.js';
