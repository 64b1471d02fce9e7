/**
 * The AIHW Composer ("AIHWKit cloud") experiment format: our own protobuf definitions, written from the
 * field list in the reference (`analog-simulation.md` §7.3, proto2 syntax), with AIHWKit's field numbers,
 * labels and the `packed` option of `TensorProto`'s numeric lists, so that the bytes are wire-compatible
 * with AIHWKit's `input_file_pb2`/`output_file_pb2`/`i_input_file_pb2`/`i_output_file_pb2`.
 *
 * Kept as source text (parsed once by protobufjs) rather than as files read from disk: no I/O, and the
 * web composer can use the same codec.
 */

/** Messages shared by both packages (ONNX-like attributes, tensors, layers, version). */
function commonMessages(): string {
  return `
message AttributeProto {
  enum AttributeType {
    UNDEFINED = 0;
    FLOAT = 1;
    INT = 2;
    STRING = 3;
    TENSOR = 4;
    FLOATS = 6;
    INTS = 7;
    STRINGS = 8;
    TENSORS = 9;
    BOOL = 101;
    BOOLS = 102;
  }
  optional string name = 1;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
  repeated TensorProto tensors = 10;
  optional AttributeType type = 20;
  optional bool b = 101;
  repeated bool bools = 102;
}

message TensorProto {
  enum DataType {
    UNDEFINED = 0;
    FLOAT = 1;
    UINT8 = 2;
    INT8 = 3;
    UINT16 = 4;
    INT16 = 5;
    INT32 = 6;
    INT64 = 7;
    STRING = 8;
    BOOL = 9;
  }
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  repeated float float_data = 4 [packed = true];
  repeated int32 int32_data = 5 [packed = true];
  repeated bytes string_data = 6;
  repeated int64 int64_data = 7 [packed = true];
}

message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
    optional string denotation = 3;
  }
  repeated Dimension dim = 1;
}

message Version {
  required int64 schema = 1;
  required int64 opset = 2;
}

message PrimitiveProto {
  required string id = 1;
  repeated AttributeProto arguments = 2;
}

message TransformProto {
  required string id = 1;
  repeated AttributeProto arguments = 2;
}

message ActivationFunctionProto {
  required string id = 1;
  repeated AttributeProto arguments = 2;
}

message LayerProto {
  required string id = 1;
  repeated AttributeProto arguments = 2;
  repeated AttributeProto state_dict = 3;
}

message LayerOrActivationFunction {
  oneof item {
    ActivationFunctionProto activation_function = 1;
    LayerProto layer = 2;
  }
}

message OptimizerProto {
  required string id = 1;
  repeated AttributeProto arguments = 2;
}

message SchedulerProto {
  required string id = 1;
  repeated AttributeProto arguments = 2;
}

message LossFunctionProto {
  required string id = 1;
  repeated AttributeProto arguments = 2;
}
`;
}

/** Package `aihwx`: training input and output (AIHWKit `common.proto`, `input_file.proto`, `output_file.proto`). */
export const TRAINING_PROTO = `
syntax = "proto2";
package aihwx;
${commonMessages()}
message Network {
  repeated LayerOrActivationFunction layers = 1;
}

message Dataset {
  required string dataset_id = 1;
  repeated TransformProto transforms = 2;
  optional int32 batch_size = 3;
}

message Training {
  required OptimizerProto optimizer = 1;
  optional SchedulerProto scheduler = 2;
  optional LossFunctionProto loss_function = 3;
  optional int32 epochs = 4;
}

message TrainingInput {
  required Version version = 1;
  required Dataset dataset = 2;
  required Network network = 3;
  required Training training = 4;
}

message EpochInformation {
  required int32 epoch = 1;
  repeated AttributeProto metrics = 2;
}

message TrainingOutput {
  required Version version = 1;
  required Network network = 2;
  repeated EpochInformation epochs = 3;
  repeated AttributeProto metrics = 4;
}
`;

/** Package `aihwx.inferencing`: inference input and output (AIHWKit `i_*.proto`). */
export const INFERENCING_PROTO = `
syntax = "proto2";
package aihwx.inferencing;
${commonMessages()}
message Network {
  required string weight_template_id = 1;
  repeated LayerOrActivationFunction layers = 2;
}

message Dataset {
  required string dataset_id = 1;
  optional int64 batch_size = 2;
}

message AnalogProto {
  required float output_noise_strength = 1;
  optional int64 adc = 2;
  optional int64 dac = 3;
}

message PCMProto {
  required string device_id = 1 [default = "pcm"];
  required float programming_noise_scale = 2;
  required float read_noise_scale = 3;
  required float drift_scale = 4;
  required bool drift_compensation = 5;
  required float poly_first_order_coef = 6;
  required float poly_second_order_coef = 7;
  required float poly_constant_coef = 8;
}

message GenericProto {
  required string device_id = 1 [default = "generic"];
  required float programming_noise_scale = 2;
  required float read_noise_scale = 3;
  required float drift_scale = 4;
  required bool drift_compensation = 5;
  required float poly_first_order_coef = 6;
  required float poly_second_order_coef = 7;
  required float poly_constant_coef = 8;
  required float drift_mean = 9;
  required float drift_std = 10;
}

message NoiseModelProto {
  oneof item {
    PCMProto pcm = 1;
    GenericProto generic = 2;
  }
}

message Inferencing {
  required int64 inference_repeats = 1;
  required int64 inference_time = 2;
  required AnalogProto analog_info = 3;
  required NoiseModelProto noise_model_info = 4;
}

message InferenceInput {
  required Version version = 1;
  required Dataset dataset = 2;
  required Network network = 3;
  required Inferencing inferencing = 4;
}

message InferenceResultsProto {
  required float t_inference = 1;
  required float avg_accuracy = 2;
  required float std_accuracy = 3;
  required float avg_error = 4;
  required float avg_loss = 5;
}

message InferenceRunsProto {
  required int64 inference_repeat = 1;
  required bool is_partial = 2;
  required float time_elapsed = 3;
  repeated InferenceResultsProto inference_results = 4;
}

message InferencingOutput {
  required Version version = 1;
  required InferenceRunsProto inference_runs = 2;
}
`;
