export * from './types';
export { parsePipeline, findAuthorization, type ValidateOptions } from './validate';
export { serializePipeline, guessRole, draftPipeline, addEnvironmentToText, removeEnvironmentFromText } from './edit';
