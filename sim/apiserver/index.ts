// The simulated cluster's Kubernetes API server.
export { startApiServer, type ApiServer, type ApiServerOptions, type SimUser } from './http';
export { selfSignedCertificate } from './tls';
