import { toBinary, type DescEnum, type DescExtension, type DescFile, type DescMessage } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";

/** Lookups server reflection answers from; see createReflectionIndex. */
export interface ReflectionIndex {
  /** The file named like its .proto path (`orchestrator/worker/v1/worker.proto`). */
  fileByName(name: string): DescFile | undefined;
  /** The file declaring a service, method, message, field, oneof, enum, enum value or extension. */
  fileContainingSymbol(symbol: string): DescFile | undefined;
  /** The file declaring extension `number` of message `typeName`. */
  fileContainingExtension(typeName: string, number: number): DescFile | undefined;
  /** Extension numbers of a message, ascending; undefined when the message is unknown. */
  extensionNumbersOf(typeName: string): number[] | undefined;
  /** Serialized FileDescriptorProtos of `file` then its transitive dependencies, each once. */
  encodeWithDependencies(file: DescFile): Uint8Array[];
}

/**
 * Indexes `files` and their transitive dependencies (google/protobuf/*,
 * buf/validate/validate.proto, ...) for grpc.reflection. protobuf-es v2
 * embeds every file descriptor in generated code, so the answers are exact
 * (without comments, which the embedded descriptors do not carry).
 */
export function createReflectionIndex(files: Iterable<DescFile>): ReflectionIndex {
  const byName = new Map<string, DescFile>();
  const bySymbol = new Map<string, DescFile>();
  const extensionsByType = new Map<string, Map<number, DescFile>>();
  const messages = new Set<string>();
  const encoded = new Map<DescFile, Uint8Array>();

  const addExtension = (file: DescFile, ext: DescExtension) => {
    bySymbol.set(ext.typeName, file);
    let numbers = extensionsByType.get(ext.extendee.typeName);
    if (!numbers) {
      numbers = new Map();
      extensionsByType.set(ext.extendee.typeName, numbers);
    }
    numbers.set(ext.number, file);
  };
  const addEnum = (file: DescFile, desc: DescEnum) => {
    bySymbol.set(desc.typeName, file);
    // Enum values are scoped like siblings of their enum (C++ scoping rules).
    const scope = desc.typeName.slice(0, Math.max(0, desc.typeName.lastIndexOf(".")));
    for (const value of desc.values) {
      bySymbol.set(scope ? `${scope}.${value.name}` : value.name, file);
    }
  };
  const addMessage = (file: DescFile, desc: DescMessage) => {
    bySymbol.set(desc.typeName, file);
    messages.add(desc.typeName);
    for (const field of desc.fields) {
      bySymbol.set(`${desc.typeName}.${field.name}`, file);
    }
    for (const oneof of desc.oneofs) {
      bySymbol.set(`${desc.typeName}.${oneof.name}`, file);
    }
    // Map entry types (`LabelsEntry`) are not in nestedMessages; reach them through the proto.
    for (const nested of desc.proto.nestedType) {
      bySymbol.set(`${desc.typeName}.${nested.name}`, file);
    }
    desc.nestedMessages.forEach((m) => addMessage(file, m));
    desc.nestedEnums.forEach((e) => addEnum(file, e));
    desc.nestedExtensions.forEach((x) => addExtension(file, x));
  };
  const addFile = (file: DescFile) => {
    if (byName.has(file.proto.name)) {
      return;
    }
    byName.set(file.proto.name, file);
    file.dependencies.forEach(addFile);
    for (const service of file.services) {
      bySymbol.set(service.typeName, file);
      for (const method of service.methods) {
        bySymbol.set(`${service.typeName}.${method.name}`, file);
      }
    }
    file.messages.forEach((m) => addMessage(file, m));
    file.enums.forEach((e) => addEnum(file, e));
    file.extensions.forEach((x) => addExtension(file, x));
  };
  for (const file of files) {
    addFile(file);
  }

  const encode = (file: DescFile): Uint8Array => {
    let bytes = encoded.get(file);
    if (!bytes) {
      bytes = toBinary(FileDescriptorProtoSchema, file.proto);
      encoded.set(file, bytes);
    }
    return bytes;
  };

  return {
    fileByName: (name) => byName.get(name),
    fileContainingSymbol: (symbol) => bySymbol.get(symbol.replace(/^\./, "")),
    fileContainingExtension: (typeName, number) => extensionsByType.get(typeName.replace(/^\./, ""))?.get(number),
    extensionNumbersOf(typeName) {
      const name = typeName.replace(/^\./, "");
      if (!messages.has(name)) {
        return undefined;
      }
      return [...(extensionsByType.get(name)?.keys() ?? [])].sort((a, b) => a - b);
    },
    encodeWithDependencies(file) {
      const out: DescFile[] = [];
      const visit = (f: DescFile) => {
        if (out.includes(f)) {
          return;
        }
        out.push(f);
        f.dependencies.forEach(visit);
      };
      visit(file);
      return out.map(encode);
    },
  };
}
