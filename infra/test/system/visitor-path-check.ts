import type { Test } from 'tap';
import { APP, PATHS } from '@zumo/config';
import { CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST } from '../../src/lib/cloudfront.js';
import { MANAGED_PREFIX_LISTS } from '../mocks.js';
import { applicationNamed, renderApplication } from './argocd-render.js';
import type { ResourceGraph } from './graph.js';

/**
 * The visitor's request, hop by hop, through what is declared: CloudFront's /api/* behaviour ->
 * its VPC origin -> the ALB's security group and listener -> the target group -> the TargetGroupBinding Argo CD
 * applies -> the Service -> the container port. Each hop must name the next one.
 */
export function checkVisitorPath(t: Test, graph: ResourceGraph) {
  const cdn = graph.one('aws:cloudfront/distribution:Distribution').inputs;
  const api = cdn['orderedCacheBehaviors'].find((b: { pathPattern: string }) => b.pathPattern === `${PATHS.api}/*`);
  const origin = cdn['origins'].find((o: { originId: string }) => o.originId === api.targetOriginId);
  const vpcOrigin = graph.one('aws:cloudfront/vpcOrigin:VpcOrigin');
  t.equal(origin.vpcOriginConfig?.vpcOriginId, `${vpcOrigin.name}-id`, '/api/* goes to the VPC origin');

  const alb = graph.one('aws:lb/loadBalancer:LoadBalancer');
  const endpoint = vpcOrigin.inputs['vpcOriginEndpointConfig'];
  t.equal(endpoint.arn, alb.state['arn'], 'the VPC origin is the ALB');
  const listener = graph.one('aws:lb/listener:Listener', (l) => l.inputs['port'] === endpoint.httpPort);
  t.equal(
    listener.inputs['loadBalancerArn'],
    alb.state['arn'],
    `the ALB listens on the origin's port ${endpoint.httpPort}`,
  );

  const originFacing = MANAGED_PREFIX_LISTS.find((l) => l.name === CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST)!;
  const admitted = graph.all(
    'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
    (r) =>
      alb.inputs['securityGroups'].includes(r.inputs['securityGroupId']) &&
      r.inputs['fromPort'] <= endpoint.httpPort &&
      endpoint.httpPort <= r.inputs['toPort'],
  );
  t.ok(
    admitted.some((r) => r.inputs['prefixListId'] === originFacing.id),
    `the ALB's security group admits CloudFront's origin-facing addresses on ${endpoint.httpPort}`,
  );

  const targetGroup = graph.one('aws:lb/targetGroup:TargetGroup');
  t.equal(
    listener.inputs['defaultActions'][0].targetGroupArn,
    targetGroup.state['arn'],
    'the listener forwards to the target group',
  );
  t.match(targetGroup.inputs, { targetType: 'ip', port: APP.containerPort }, 'ip targets on the container port');

  // The web Application the ApplicationSet in git generates from the cluster's facts.
  const web = renderApplication(applicationNamed(graph, APP.name).spec)!;
  const binding = web.find((m) => m.kind === 'TargetGroupBinding')!;
  t.equal(binding.spec.targetGroupARN, targetGroup.state['arn'], 'Argo CD binds the Service to this target group');
  t.equal(binding.spec.targetType, 'ip');
  const service = web.find((m) => m.kind === 'Service' && m.metadata.name === binding.spec.serviceRef.name)!;
  const port = service.spec.ports.find((p: { port: number }) => p.port === binding.spec.serviceRef.port);
  const deployment = web.find((m) => m.kind === 'Deployment')!;
  const podLabels = deployment.spec.template.metadata.labels as Record<string, string>;
  t.ok(
    Object.entries(service.spec.selector as Record<string, string>).every(([k, v]) => podLabels[k] === v),
    'the Service selects every pod of the Deployment: each replica becomes a target',
  );
  t.ok(deployment.spec.replicas >= 2, `${deployment.spec.replicas} replicas behind the target group`);
  const container = deployment.spec.template.spec.containers[0];
  const containerPort = container.ports.find((p: { name: string }) => p.name === port.targetPort);
  t.equal(
    containerPort?.containerPort,
    targetGroup.inputs['port'],
    "the Service's target port is the container's, the target group's port",
  );
}
