// The OpenAPI v3 schema as the simulator's API server builds, serves and validates against it: the fields its
// validator reads (k8s.io/apiextensions-apiserver pkg/apiserver/validation) typed, every other keyword passed through.

export interface Schema {
  type?: string;
  format?: string;
  description?: string;
  default?: unknown;
  $ref?: string;
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  nullable?: boolean;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-validations'?: { rule: string; message?: string }[];
  [keyword: string]: unknown;
}
