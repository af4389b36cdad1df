import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../server/app.ts';
import { requestMeta, requireAuth } from '../../server/auth-hooks.ts';
import { phoneField, requiredText, shortText, timeZoneField, uuidField } from '../../server/schemas.ts';
import * as locations from './locations.service.ts';

/** Fields that may be left out at creation (the database fills in 911, 988 and Poison Help). */
const editable = {
  name: requiredText(200),
  address: requiredText(500),
  timeZone: timeZoneField.nullable(),
  emergencyNumber: phoneField,
  crisisLine: phoneField,
  mobileCrisisName: shortText(200).nullable(),
  mobileCrisisPhone: phoneField.nullable(),
  emergencyDepartmentName: shortText(200).nullable(),
  emergencyDepartmentAddress: shortText(500).nullable(),
  emergencyDepartmentPhone: phoneField.nullable(),
  poisonControlPhone: phoneField,
};
const createBody = z.strictObject({
  ...editable,
  timeZone: editable.timeZone.optional(),
  emergencyNumber: editable.emergencyNumber.optional(),
  crisisLine: editable.crisisLine.optional(),
  mobileCrisisName: editable.mobileCrisisName.optional(),
  mobileCrisisPhone: editable.mobileCrisisPhone.optional(),
  emergencyDepartmentName: editable.emergencyDepartmentName.optional(),
  emergencyDepartmentAddress: editable.emergencyDepartmentAddress.optional(),
  emergencyDepartmentPhone: editable.emergencyDepartmentPhone.optional(),
  poisonControlPhone: editable.poisonControlPhone.optional(),
});
const patchBody = z.strictObject(editable).partial()
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'Change at least one field');

export const crisisResource = z.object({
  kind: z.enum(['emergency', 'crisis_line', 'mobile_crisis', 'emergency_department', 'poison_control']),
  label: z.string(), phone: z.string().nullable(), address: z.string().nullable(),
});
const locationSchema = z.object({
  id: z.string(), name: z.string(), address: z.string(), timeZone: z.string().nullable(),
  emergencyNumber: z.string(), crisisLine: z.string(),
  mobileCrisisName: z.string().nullable(), mobileCrisisPhone: z.string().nullable(),
  emergencyDepartmentName: z.string().nullable(), emergencyDepartmentAddress: z.string().nullable(),
  emergencyDepartmentPhone: z.string().nullable(), poisonControlPhone: z.string(),
  createdAt: z.string(), updatedAt: z.string(),
  crisisResources: z.array(crisisResource),
});
const idParams = z.object({ id: uuidField });

export const locationsRoutes = (deps: AppDeps): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/locations', {
    config: { action: 'locations.read' },
    schema: {
      tags: ['locations'],
      summary: "The practice's locations with their crisis resources",
      response: { 200: z.object({ locations: z.array(locationSchema) }) },
    },
  }, async (request) => ({ locations: await locations.listLocations(deps.db, requireAuth(request)) }));

  app.get('/api/locations/:id', {
    config: { action: 'locations.read' },
    schema: {
      tags: ['locations'],
      summary: 'One location with its crisis resources',
      params: idParams,
      response: { 200: z.object({ location: locationSchema }) },
    },
  }, async (request) => ({ location: await locations.getLocation(deps.db, requireAuth(request), request.params.id) }));

  app.post('/api/locations', {
    config: { action: 'locations.manage' },
    schema: {
      tags: ['locations'],
      summary: 'Add a location; emergency number, crisis line and poison control default to 911, 988 and Poison Help',
      body: createBody,
      response: { 201: z.object({ location: locationSchema }) },
    },
  }, async (request, reply) => {
    const location = await locations.createLocation(deps.db, requireAuth(request), request.body, requestMeta(request));
    return reply.code(201).send({ location });
  });

  app.patch('/api/locations/:id', {
    config: { action: 'locations.manage' },
    schema: {
      tags: ['locations'],
      summary: "Change a location's details; fields left out stay as they are, null or an empty text clears an optional one",
      params: idParams,
      body: patchBody,
      response: { 200: z.object({ location: locationSchema }) },
    },
  }, async (request) => ({ location: await locations.updateLocation(deps.db, requireAuth(request), request.params.id, request.body, requestMeta(request)) }));
};
