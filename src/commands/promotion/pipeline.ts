/** Show Pipeline: opens (or reveals) the pipeline panel, from the palette or the Environments view's title bar. */
import type { Ctx } from '../../ctx';
import type { PipelinePanel } from '../../webviews/pipeline/panel';

export async function showPipeline(ctx: Ctx): Promise<PipelinePanel> {
  return ctx.pipelinePanels.open();
}
