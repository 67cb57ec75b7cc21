import { createRequire } from 'node:module';
import path from 'node:path';
import { loadPackageDefinition, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

export interface PubSubServiceDefinitions {
  readonly publisher: ServiceDefinition;
  readonly subscriber: ServiceDefinition;
}

interface ServiceConstructor {
  service: ServiceDefinition;
}

/**
 * Loads google.pubsub.v1 from the .proto files that ship inside @google-cloud/pubsub (the very
 * protos the client speaks); their google/api and google/protobuf imports come from google-gax,
 * the client's own transport dependency.
 */
export function loadPubSubProto(): PubSubServiceDefinitions {
  const require = createRequire(import.meta.url);
  const clientPackageJson = require.resolve('@google-cloud/pubsub/package.json');
  const clientProtos = path.join(path.dirname(clientPackageJson), 'build', 'protos');
  const gaxMain = createRequire(clientPackageJson).resolve('google-gax');
  const gaxProtos = path.join(path.dirname(gaxMain), '..', 'protos');
  const definition = loadSync('google/pubsub/v1/pubsub.proto', {
    includeDirs: [clientProtos, gaxProtos],
    keepCase: false,
    longs: Number,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  const root = loadPackageDefinition(definition) as unknown as {
    google: { pubsub: { v1: { Publisher: ServiceConstructor; Subscriber: ServiceConstructor } } };
  };
  const v1 = root.google.pubsub.v1;
  return { publisher: v1.Publisher.service, subscriber: v1.Subscriber.service };
}
