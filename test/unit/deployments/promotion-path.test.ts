import * as assert from 'node:assert/strict';
import { canCreateDeployment, canDeployLocalSource, checkPromotionPath } from '../../../src/core/deployments';
import { approvedCr, pipeline, refused } from './fixtures';

describe('deployments: promotion path', () => {
  const p = pipeline();

  it('an approved CR goes one environment up the pipeline', () => {
    assert.ok(canCreateDeployment(approvedCr(), p, 'Dev1', 'UAT').ok);
    assert.ok(canCreateDeployment(approvedCr(), p, 'UAT', 'Production').ok);
  });

  it('skipping a stage is refused, naming the allowed target', () => {
    refused(
      canCreateDeployment(approvedCr(), p, 'Dev1', 'Production'),
      /From Dev1, changes go to UAT only; they reach Production through the pipeline, one environment at a time\. Deploy to UAT\./,
    );
  });

  it('sideways and downward deploys are refused too', () => {
    refused(checkPromotionPath(p, 'Dev1', 'Dev2'), /From Dev1, changes go to UAT only/);
    refused(checkPromotionPath(p, 'UAT', 'Dev1'), /From UAT, changes go to Production only/);
    refused(checkPromotionPath(p, 'UAT', 'UAT'), /The changes are in UAT already; deploy them to Production/);
  });

  it('nothing is promoted from production (its connections are back-promotion)', () => {
    refused(checkPromotionPath(p, 'Production', 'UAT'), /Production is production, the top of the pipeline: changes are not promoted from it/);
  });

  it('lists every allowed target when there are several', () => {
    const withExtra = { ...p, connections: [...p.connections, { from: 'Dev1', to: 'Dev2', kind: 'promotion' as const, explicit: true }] };
    refused(checkPromotionPath(withExtra, 'Dev1', 'Production'), /changes go to UAT or Dev2 only/);
  });

  it('an unknown environment is named with the known ones', () => {
    refused(checkPromotionPath(p, 'Dev1', 'QA'), /"QA" is not an environment of the pipeline \(Dev1, Dev2, UAT, Production\)/);
  });

  it('only an approved CR with customizations gets a deployment record, and the refusal says what to do', () => {
    refused(canCreateDeployment(approvedCr({ status: 'Draft' }), p, 'Dev1', 'UAT'), /Only an approved change request can be deployed: CR-00007 is Draft; submit it for approval/);
    refused(canCreateDeployment(approvedCr({ status: 'Pending approval' }), p, 'Dev1', 'UAT'), /CR-00007 is Pending approval; it waits for its approvers/);
    refused(canCreateDeployment(approvedCr({ status: 'Completed' }), p, 'Dev1', 'UAT'), /Completed; it is completed/);
    refused(canCreateDeployment(approvedCr({ customizations: [] }), p, 'Dev1', 'UAT'), /CR-00007 has no customizations in Dev1 to deploy/);
  });

  it('local source goes to development environments only', () => {
    assert.ok(canDeployLocalSource(p, 'Dev2').ok);
    refused(canDeployLocalSource(p, 'UAT'), /UAT is a staging environment: changes reach it through the pipeline, not from local files\. Deploy local source to Dev1 or Dev2, then promote it\./);
    refused(canDeployLocalSource(p, 'Production'), /Production is a production environment/);
  });
});
